import { Worker } from "node:worker_threads";
const w = new Worker("data:text/javascript,import {parentPort} from 'node:worker_threads'; parentPort.on('message', () => {});", { execArgv: [] });
w.unref();
w.postMessage({});
console.log("posted");
