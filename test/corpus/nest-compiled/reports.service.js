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
exports.NotifyService = exports.ThumbnailService = void 0;
const common_1 = require("@nestjs/common");
const client_s3_1 = require("@aws-sdk/client-s3");
const sharp_1 = require("sharp");
let ThumbnailService = class ThumbnailService {
    constructor() {
        this.s3 = new client_s3_1.S3Client({});
    }
    async render(input) {
        const small = await (0, sharp_1.default)(input).resize(320).png().toBuffer();
        const medium = await (0, sharp_1.default)(input).resize(960).png().toBuffer();
        return Buffer.concat([small, medium]);
    }
};
exports.ThumbnailService = ThumbnailService;
exports.ThumbnailService = ThumbnailService = __decorate([
    (0, common_1.Injectable)()
], ThumbnailService);
let NotifyService = class NotifyService {
    constructor(s3) {
        this.s3 = s3;
    }
    async publish(key, body) {
        await this.s3.send(new client_s3_1.PutObjectCommand({ Bucket: 'b', Key: key, Body: body }));
    }
};
exports.NotifyService = NotifyService;
exports.NotifyService = NotifyService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [typeof (_a = typeof client_s3_1.S3Client !== "undefined" && client_s3_1.S3Client) === "function" ? _a : Object])
], NotifyService);
