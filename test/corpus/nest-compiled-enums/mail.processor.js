"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.MailProcessor = void 0;
const bullmq_1 = require("@nestjs/bullmq");
const nodemailer_1 = __importDefault(require("nodemailer"));
const marked_1 = require("marked");
const queues_1 = require("./queues");
const transport = nodemailer_1.default.createTransport({ host: 'smtp.example' });
let MailProcessor = class MailProcessor extends bullmq_1.WorkerHost {
    async process(job) {
        switch (job.name) {
            case queues_1.MailJob.Welcome:
                return this.welcome(job.data.to);
            case queues_1.MailJob.Digest:
                return this.digest(job.data.markdown);
        }
    }
    async welcome(to) { await transport.sendMail({ to, subject: 'Welcome' }); }
    digest(markdown) { return marked_1.marked.parse(markdown); }
};
exports.MailProcessor = MailProcessor;
exports.MailProcessor = MailProcessor = __decorate([
    (0, bullmq_1.Processor)(queues_1.QueueName.Mail)
], MailProcessor);
