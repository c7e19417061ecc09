import { expect, test } from "vitest";
import { errorFromBody } from "./http.ts";

test("a WireError body keeps its code, message and data", () => {
  const err = errorFromBody(400, { error: { code: "weak_password", message: "too short", data: { minLength: 10 } } });
  expect(err.code).toBe("weak_password");
  expect(err.message).toBe("too short");
  expect(err.data).toEqual({ minLength: 10 });
});

test("anything else is a bad_response naming the status", () => {
  const err = errorFromBody(502, "<html>Bad Gateway</html>");
  expect(err.code).toBe("bad_response");
  expect(err.message).toContain("502");
  expect(errorFromBody(400, { code: "weak_password" }).code).toBe("bad_response"); // not wrapped in `error`
});
