"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MailJob = exports.QueueName = void 0;
var QueueName;
(function (QueueName) {
    QueueName["Mail"] = "mail";
    QueueName["Reports"] = "reports";
})(QueueName || (exports.QueueName = QueueName = {}));
var MailJob;
(function (MailJob) {
    MailJob["Welcome"] = "welcome";
    MailJob["Digest"] = "digest";
})(MailJob || (exports.MailJob = MailJob = {}));
