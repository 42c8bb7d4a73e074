// The part of autocannon's API the benchmarks use (the package ships no types and @types/autocannon is not installed).
declare module "autocannon" {
  type Histogram = { average: number; mean: number; p50: number; p90: number; p99: number; max: number };
  type Options = { url: string; connections?: number; duration?: number; headers?: Record<string, string>; method?: string };
  type Result = { requests: Histogram; latency: Histogram; throughput: Histogram; errors: number; timeouts: number; non2xx: number };
  export default function autocannon(options: Options): Promise<Result>;
}
