import { createInprocBus } from "./inproc.ts";
import { runBusContract } from "./contract.ts";

runBusContract("inproc", () => createInprocBus());
