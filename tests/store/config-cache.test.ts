import { describe, expect, it } from "vitest";
import { ConfigCache } from "../../backend/src/adapters/store/config-cache.js";

function counter<T>(values: T[]): { load: () => Promise<T>; calls: () => number } {
  let calls = 0;
  return { load: async () => values[Math.min(calls++, values.length - 1)]!, calls: () => calls };
}

describe("ConfigCache", () => {
  it("serves a kept value until it expires, then loads again", async () => {
    let now = 1_000;
    const cache = new ConfigCache(500, () => now);
    const source = counter(["first", "second"]);
    expect(await cache.read("k", source.load, { keep: true })).toBe("first");
    now += 499;
    expect(await cache.read("k", source.load, { keep: true })).toBe("first");
    expect(source.calls()).toBe(1);
    now += 1;
    expect(await cache.read("k", source.load, { keep: true })).toBe("second");
    expect(source.calls()).toBe(2);
  });

  it("keeps nothing with a time to live of 0", async () => {
    const cache = new ConfigCache(0);
    const source = counter(["a", "b"]);
    expect(await cache.read("k", source.load, { keep: true })).toBe("a");
    expect(await cache.read("k", source.load, { keep: true })).toBe("b");
  });

  it("reads without keeping when asked to (a transaction's view stays its own)", async () => {
    const cache = new ConfigCache(60_000);
    const source = counter(["uncommitted", "committed"]);
    expect(await cache.read("k", source.load, { keep: false })).toBe("uncommitted");
    expect(await cache.read("k", source.load, { keep: true })).toBe("committed");
    expect(await cache.read("k", source.load, { keep: false })).toBe("committed");
    expect(source.calls()).toBe(2);
  });

  it("drops an entry on invalidation, and does not keep a load that began before it", async () => {
    const cache = new ConfigCache(60_000);
    let release: (value: string) => void = () => undefined;
    const slow = new Promise<string>((resolve) => (release = resolve));
    const stale = cache.read("k", () => slow, { keep: true });
    cache.invalidate("k");
    release("old");
    expect(await stale).toBe("old");
    expect(await cache.read("k", async () => "new", { keep: true })).toBe("new");
    expect(await cache.read("k", async () => "newer", { keep: true })).toBe("new");
    cache.invalidate("k");
    expect(await cache.read("k", async () => "newest", { keep: true })).toBe("newest");
  });

  it("hands out frozen values, so one reader cannot change what the others see", async () => {
    const cache = new ConfigCache(60_000);
    const value = await cache.read("k", async () => ({ name: "Acme", hours: { days: [1, 2] } }), { keep: true });
    expect(() => {
      (value as { name: string }).name = "changed";
    }).toThrow(TypeError);
    expect(() => value.hours.days.push(3)).toThrow(TypeError);
    expect((await cache.read("k", async () => ({ name: "other", hours: { days: [] } }), { keep: true })).name).toBe("Acme");
  });

  it("loads once for readers that miss together, and shares the frozen value", async () => {
    const cache = new ConfigCache(60_000);
    const pending: Array<(value: { name: string }) => void> = [];
    const load = () => new Promise<{ name: string }>((resolve) => pending.push(resolve));
    const readers = [cache.read("k", load, { keep: true }), cache.read("k", load, { keep: true })];
    const calls = pending.length;
    for (const resolve of pending) resolve({ name: "Acme" });
    const values = await Promise.all(readers);
    expect(calls).toBe(1);
    expect(values[1]).toBe(values[0]);
    expect(Object.isFrozen(values[0])).toBe(true);
    expect(await cache.read("other", async () => "x", { keep: true })).toBe("x");
  });

  it("never lets a transaction's read wait for a load another reader began", async () => {
    const cache = new ConfigCache(60_000);
    const outside = cache.read("k", () => new Promise<string>(() => undefined), { keep: true });
    expect(await cache.read("k", async () => "read in the transaction", { keep: false })).toBe("read in the transaction");
    void outside;
  });

  it("lets no reader join a load that began before an invalidation", async () => {
    const cache = new ConfigCache(60_000);
    let release: (value: string) => void = () => undefined;
    const stale = cache.read("k", () => new Promise<string>((resolve) => (release = resolve)), { keep: true });
    cache.invalidate("k");
    const fresh = cache.read("k", async () => "new", { keep: true });
    release("old");
    expect(await stale).toBe("old");
    expect(await fresh).toBe("new");
    expect(await cache.read("k", async () => "newer", { keep: true })).toBe("new");
  });

  it("keeps no failed load: the readers that joined it see the error, the next reader loads again", async () => {
    const cache = new ConfigCache(60_000);
    let fail: (error: Error) => void = () => undefined;
    const failing = () => new Promise<string>((_, reject) => (fail = reject));
    const first = cache.read("k", failing, { keep: true });
    const joined = cache.read("k", async () => "unused", { keep: true });
    fail(new Error("connection lost"));
    await expect(first).rejects.toThrow("connection lost");
    await expect(joined).rejects.toThrow("connection lost");
    expect(await cache.read("k", async () => "loaded", { keep: true })).toBe("loaded");
  });

  it("stays bounded: past its limit, expired entries are swept", async () => {
    let now = 0;
    const cache = new ConfigCache(10, () => now);
    for (let i = 0; i < 10_000; i++) await cache.read(`old-${i}`, async () => i, { keep: true });
    now = 100;
    await cache.read("fresh", async () => "x", { keep: true });
    const size = (cache as unknown as { entries: Map<string, unknown> }).entries.size;
    expect(size).toBe(1);
  });
});
