"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sendMail = sendMail;
const mail_1 = require("@acme/mailer");
function sendMail(to, text) { return mail_1.send({ to, text }); }
