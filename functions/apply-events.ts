// Placeholder so the CDK stack can reference this entry; replaced by the real middy handler.
export const handler = async (): Promise<never> => {
  throw new Error("functions/apply-events.ts is not implemented yet");
};
