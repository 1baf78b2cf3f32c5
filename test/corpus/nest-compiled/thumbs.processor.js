"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var _a;
Object.defineProperty(exports, "__esModule", { value: true });
exports.ThumbsProcessor = void 0;
const bullmq_1 = require("@nestjs/bullmq");
const bullmq_2 = require("bullmq");
const reports_service_1 = require("./reports.service");
let ThumbsProcessor = class ThumbsProcessor extends bullmq_1.WorkerHost {
    constructor(thumbnails, notify) {
        super();
        this.thumbnails = thumbnails;
        this.notify = notify;
    }
    async process(job) {
        const out = await this.thumbnails.render(job.data.image);
        await this.notify.publish(`thumbs/${job.id}`, out);
    }
    onCompleted(job) { console.log('done', job.id); }
};
exports.ThumbsProcessor = ThumbsProcessor;
__decorate([
    (0, bullmq_1.OnWorkerEvent)('completed'),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [typeof (_a = typeof bullmq_2.Job !== "undefined" && bullmq_2.Job) === "function" ? _a : Object]),
    __metadata("design:returntype", void 0)
], ThumbsProcessor.prototype, "onCompleted", null);
exports.ThumbsProcessor = ThumbsProcessor = __decorate([
    (0, bullmq_1.Processor)({ name: 'thumbs' }),
    __metadata("design:paramtypes", [reports_service_1.ThumbnailService, reports_service_1.NotifyService])
], ThumbsProcessor);
