/** Cognito groups (`cognito:groups` claim). */
export const USER_GROUPS = ["handler", "leader", "admin"] as const;
export type UserGroup = (typeof USER_GROUPS)[number];
