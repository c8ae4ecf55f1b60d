// Filled by its own issue; nothing here yet.
export {};
