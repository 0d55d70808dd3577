// The `tokensmith/redis` entry (placeholder until the Redis token store lands).
export {};
