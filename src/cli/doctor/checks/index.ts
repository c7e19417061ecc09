// Every doctor check, in the order printed. A new check is one file here and one line below.
import type { Check } from "../check.ts";
import { clockCheck } from "./clock.ts";
import { databaseCheck } from "./database.ts";
import { dataDirCheck } from "./data-dir.ts";
import { diskCheck } from "./disk.ts";
import { imagesCheck } from "./images.ts";
import { mediaPortCheck } from "./media-port.ts";
import { mediaFilesCheck } from "./media-files.ts";
import { portCheck } from "./port.ts";
import { secretsCheck } from "./secrets.ts";
import { sfuWorkerCheck } from "./sfu-worker.ts";
import { tlsCheck } from "./tls.ts";
import { totpCheck } from "./totp.ts";

export const checks: Check[] = [dataDirCheck, secretsCheck, portCheck, tlsCheck, databaseCheck, totpCheck, sfuWorkerCheck, mediaPortCheck, imagesCheck, mediaFilesCheck, clockCheck, diskCheck];
