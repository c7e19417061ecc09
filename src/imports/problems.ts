// What can be wrong with an export archive, as one typed error (`import_invalid`): a
// reason a client can switch on, and where — the file inside the archive, the line of a
// WhatsApp chat file, the id of a Telegram message — so the person can find it.
import { AppError } from "../errors.ts";
import type { ImportProblem } from "../protocol/errors.ts";

export interface ProblemPlace {
  file?: string;
  line?: number;
  messageId?: string;
}

export function importInvalid(reason: ImportProblem, message: string, where: ProblemPlace = {}): AppError<"import_invalid"> {
  const at = [where.file, where.line !== undefined ? `line ${where.line}` : undefined, where.messageId !== undefined ? `message ${where.messageId}` : undefined]
    .filter(Boolean)
    .join(", ");
  return new AppError("import_invalid", at ? `${message} (${at})` : message, { reason, ...where });
}
