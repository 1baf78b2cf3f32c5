"use strict";
// tsc's CommonJS for `export * from './store'` and `export { sendMail } from './mail'`.
var __exportStar = (this && this.__exportStar) || function (m, exports) { for (var p in m) if (!(p in exports)) exports[p] = m[p]; };
Object.defineProperty(exports, "__esModule", { value: true });
exports.sendMail = void 0;
__exportStar(require("./store"), exports);
__exportStar(require("./queue"), exports);
var mail_1 = require("./mail");
Object.defineProperty(exports, "sendMail", { enumerable: true, get: function () { return mail_1.sendMail; } });
