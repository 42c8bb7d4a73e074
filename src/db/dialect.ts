// Which database a URL names: the one place that reads it from the URL (config derives DATABASE_DIALECT from it).
export type Dialect = "sqlite" | "postgresql";

export const isSqliteUrl = (url: string) => url.startsWith("file:");

export const dialectOf = (url: string): Dialect => (isSqliteUrl(url) ? "sqlite" : "postgresql");
