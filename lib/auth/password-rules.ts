// Shared by the server and the sign-up form (which shows the rule before submitting).
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
