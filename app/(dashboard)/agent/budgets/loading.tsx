export { default } from "../../orgs/[slug]/loading";
