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
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.CleanupConsumer = exports.VideoConsumer = void 0;
const bull_1 = require("@nestjs/bull");
const node_child_process_1 = require("node:child_process");
const node_events_1 = require("node:events");
const node_zlib_1 = require("node:zlib");
let VideoConsumer = class VideoConsumer {
    constructor(videoQueue) {
        this.videoQueue = videoQueue;
    }
    async transcode(job) {
        const child = (0, node_child_process_1.spawn)('ffmpeg', ['-i', job.data.input, `${job.data.input}.mp4`]);
        await (0, node_events_1.once)(child, 'exit');
        await this.videoQueue.add('compress', { input: `${job.data.input}.mp4` });
    }
    compress(job) { return (0, node_zlib_1.gzipSync)(job.data.text); }
    onActive(job) { console.log(`processing ${job.id}`); }
    onCompleted(job, result) { console.log(job.id, result); }
    onFailed(job, error) { console.error(job.id, error); }
};
exports.VideoConsumer = VideoConsumer;
__decorate([
    (0, bull_1.Process)({ name: 'transcode', concurrency: 2 }),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], VideoConsumer.prototype, "transcode", null);
__decorate([
    (0, bull_1.Process)('compress'),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], VideoConsumer.prototype, "compress", null);
__decorate([
    (0, bull_1.OnQueueActive)(),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", void 0)
], VideoConsumer.prototype, "onActive", null);
__decorate([
    (0, bull_1.OnQueueCompleted)(),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", void 0)
], VideoConsumer.prototype, "onCompleted", null);
__decorate([
    (0, bull_1.OnQueueFailed)(),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Error]),
    __metadata("design:returntype", void 0)
], VideoConsumer.prototype, "onFailed", null);
exports.VideoConsumer = VideoConsumer = __decorate([
    (0, bull_1.Processor)('video'),
    __param(0, (0, bull_1.InjectQueue)('video')),
    __metadata("design:paramtypes", [Object])
], VideoConsumer);
let CleanupConsumer = class CleanupConsumer {
    async sweep(job) { await this.wait(job.data.ms); }
    wait(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
};
exports.CleanupConsumer = CleanupConsumer;
__decorate([
    (0, bull_1.Process)({ concurrency: 1 }),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], CleanupConsumer.prototype, "sweep", null);
exports.CleanupConsumer = CleanupConsumer = __decorate([
    (0, bull_1.Processor)('cleanup')
], CleanupConsumer);
