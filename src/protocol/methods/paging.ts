import { Type } from "@sinclair/typebox";

/**
 * The `limit` of every paged list method. Any positive integer is accepted and the server
 * caps it at `limits.pageSizeMax`: one behaviour for every list, so a client asking for
 * "everything" gets a full page and `hasMore`, never an error.
 */
export const PageLimitSchema = Type.Integer({ minimum: 1 });
