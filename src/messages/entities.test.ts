import { describe, expect, test } from "bun:test";
import { AppError } from "../errors.ts";
import { limits } from "../limits.ts";
import { extract, hashtagsOf, mentionsOf, resolveEntities, validateText } from "./entities.ts";

describe("extract", () => {
  test("mentions at boundaries, case-insensitive keys, trailing punctuation dropped", () => {
    const text = "hi @Alice, (@bob.smith) and @carol. mail a@b.com";
    const found = extract(text);
    expect(found.mentions.map((m) => m.key)).toEqual(["alice", "bob.smith", "carol"]);
    for (const m of found.mentions) expect(text.slice(m.offset, m.offset + m.length).toLowerCase()).toBe(`@${m.key}`);
  });

  test("@all is its own kind", () => {
    expect(extract("@all look").mentionAll).toEqual([{ offset: 0, length: 4 }]);
    expect(extract("@all look").mentions).toEqual([]);
  });

  test("hashtags lowercased, unicode, not numbers, not inside urls", () => {
    const found = extract("#Release notes #Überblick #42 see example.com/#frag #a_b");
    expect(found.hashtags.map((h) => h.tag)).toEqual(["release", "überblick", "a_b"]);
  });

  test("nothing inside code", () => {
    const found = extract("`@admin` ```\n#include @x\n``` @real");
    expect(found.mentions.map((m) => m.key)).toEqual(["real"]);
    expect(found.hashtags).toEqual([]);
  });

  test("offsets count UTF-16 units", () => {
    const text = "😀 @bob";
    const m = extract(text).mentions[0]!;
    expect(text.slice(m.offset, m.offset + m.length)).toBe("@bob");
  });
});

describe("resolveEntities", () => {
  const members = new Map([["alice", "U-A"]]);
  test("only members become mentions; @all only when allowed", () => {
    const found = extract("@alice @stranger @all #x");
    const denied = resolveEntities(found, members, false);
    expect(denied.map((e) => e.type)).toEqual(["mention", "hashtag"]);
    expect(mentionsOf(denied)).toEqual({ userIds: ["U-A"], all: false });
    const allowed = resolveEntities(found, members, true);
    expect(allowed.map((e) => e.type)).toEqual(["mention", "mention_all", "hashtag"]);
    expect(mentionsOf(allowed).all).toBe(true);
    expect(hashtagsOf(allowed)).toEqual(["x"]);
  });

  test("bounded", () => {
    const text = Array.from({ length: limits.messageEntitiesMax + 10 }, (_, i) => `#t${i}`).join(" ");
    expect(resolveEntities(extract(text), members, false).length).toBe(limits.messageEntitiesMax);
  });
});

describe("validateText", () => {
  const reason = (t: string) => {
    try {
      validateText(t);
      return "ok";
    } catch (e) {
      return (e as AppError<"invalid_field">).data.reason;
    }
  };
  test("empty, too long, control characters", () => {
    expect(reason("  \n ")).toBe("must not be empty");
    expect(reason("x".repeat(limits.messageTextLengthMax + 1))).toContain("at most");
    expect(reason("😀".repeat(limits.messageTextLengthMax))).toBe("ok");
    expect(reason("a\u0007b")).toContain("control");
    expect(reason("line\n\tindented")).toBe("ok");
    expect(validateText("keep  inner  \n")).toBe("keep  inner");
  });
});
