// Addresses are compared and stored lower-cased and trimmed, so "Ann@School.org" cannot open a second account.
export const normalizeEmail = (email: string): string => email.trim().toLowerCase()
