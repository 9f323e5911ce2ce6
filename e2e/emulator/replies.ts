/** Reply builders (JSON, HTML, text, redirect) and the one function that writes a Reply. */
import type { ServerResponse } from "node:http";
import type { Reply } from "./types";

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(value) };
}

export function html(status: number, markup: string): Reply {
  return { status, headers: { "content-type": "text/html" }, body: markup };
}

export function text(status: number, body: string): Reply {
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body };
}

/** 302 to a closed port, so a client that follows redirects fails loudly. */
export function redirect(location = "http://127.0.0.1:1/elsewhere"): Reply {
  return {
    status: 302,
    headers: { location, "content-type": "text/html" },
    body: `<html><head><title>302 Found</title></head><body><a href="${location}">Found</a></body></html>`,
  };
}

/** What a CDN in front of a provider answers when the origin fails: HTML, not the API's JSON. */
export function gatewayErrorPage(): Reply {
  return html(
    500,
    "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n" +
      "<center><h1>500 Internal Server Error</h1></center>\r\n" +
      "<center>502 Bad Gateway: the upstream server returned an invalid response</center>\r\n" +
      "<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n",
  );
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  const body = reply.body ?? "";
  res.writeHead(reply.status, { ...reply.headers, "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}
