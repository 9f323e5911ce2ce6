/** AWS Bedrock's card: name, hosts, fields and model suggestions. Client-safe (no server-only code). */
import { apiKeyField } from "../fields";
import type { ProviderDefinition } from "../types";

export const bedrockCard: ProviderDefinition<"bedrock"> = {
  id: "bedrock",
  name: "AWS Bedrock",
  description: "Foundation models on Amazon Bedrock, with IAM keys or a Bedrock API key.",
  apiHostPlaceholder: "https://bedrock-runtime.us-east-1.amazonaws.com",
  fields: [
    { name: "region", label: "Region", secret: false, required: true, defaultValue: "us-east-1", type: "text" },
    { name: "accessKeyId", label: "Access Key ID", secret: true, required: false, placeholder: "AKIA…", type: "password" },
    { name: "secretAccessKey", label: "Secret Access Key", secret: true, required: false, type: "password" },
    {
      name: "sessionToken",
      label: "Session Token",
      secret: true,
      required: false,
      help: "Only for temporary credentials.",
      type: "password",
    },
    apiKeyField(false, "A Bedrock API key, instead of an access key pair."),
  ],
  keyUrl: "https://console.aws.amazon.com/bedrock/home#/api-keys",
  docsUrl: "https://docs.aws.amazon.com/bedrock/latest/APIReference/welcome.html",
  defaultModel: "amazon.nova-lite-v1:0",
  suggestedModels: [
    "amazon.nova-lite-v1:0",
    "amazon.nova-pro-v1:0",
    "us.anthropic.claude-sonnet-4-20250514-v1:0",
    "anthropic.claude-3-5-haiku-20241022-v1:0",
    "meta.llama3-1-8b-instruct-v1:0",
  ],
};
