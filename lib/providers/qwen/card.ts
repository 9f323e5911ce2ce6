/** Qwen (Alibaba)'s card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const qwenCard: ProviderDefinition<"qwen"> = {
  id: "qwen",
  name: "Qwen (Alibaba)",
  description: "Qwen models on Alibaba Cloud Model Studio (DashScope).",
  defaultApiHost: "https://dashscope.aliyuncs.com/compatible-mode/v1",
  fields: [apiKeyField(true, "Keys are regional: international keys use https://dashscope-intl.aliyuncs.com/compatible-mode/v1.")],
  keyUrl: "https://bailian.console.aliyun.com/?apiKey=1#/api-key",
  docsUrl: "https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope",
  defaultModel: "qwen-plus",
  suggestedModels: ["qwen-plus", "qwen-max", "qwen-turbo", "qwen-flash", "qwen3-max", "qwen3-coder-plus"],
};
