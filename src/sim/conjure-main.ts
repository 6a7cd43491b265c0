// PLACEHOLDER (uncommitted)
export {};
