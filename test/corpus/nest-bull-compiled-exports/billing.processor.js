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
var BillingProcessor_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.BillingProcessor = exports.USAGE_JOB = exports.INVOICE_JOB = exports.BILLING_QUEUE = void 0;
const bull_1 = require("@nestjs/bull");
const common_1 = require("@nestjs/common");
const stripe_1 = require("stripe");
const exceljs_1 = require("exceljs");
exports.BILLING_QUEUE = "billing";
exports.INVOICE_JOB = "invoice";
exports.USAGE_JOB = "usage";
let BillingProcessor = BillingProcessor_1 = class BillingProcessor {
    constructor(stripe) {
        this.stripe = stripe;
        this.logger = new common_1.Logger(BillingProcessor_1.name);
    }
    async handleUsage(job) {
        await this.stripe.subscriptionItems.createUsageRecord(job.data.itemId, { quantity: job.data.quantity });
        this.logger.log("usage recorded");
    }
    async handleInvoice(job) {
        const workbook = new exceljs_1.Workbook();
        const sheet = workbook.addWorksheet("lines");
        for (const line of job.data.lines)
            sheet.addRow([line.description, line.amount]);
        return workbook.xlsx.writeBuffer();
    }
};
exports.BillingProcessor = BillingProcessor;
__decorate(
  [
    (0, bull_1.Process)(exports.USAGE_JOB),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise),
  ],
  BillingProcessor.prototype,
  "handleUsage",
  null
);
__decorate([
    (0, bull_1.Process)({ name: exports.INVOICE_JOB, concurrency: Number(process.env.INVOICE_CONCURRENCY ?? "1") }),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], BillingProcessor.prototype, "handleInvoice", null);
exports.BillingProcessor = BillingProcessor = BillingProcessor_1 = __decorate(
  [
    (0, bull_1.Processor)(exports.BILLING_QUEUE),
    __metadata("design:paramtypes", [stripe_1.default]),
  ],
  BillingProcessor
);
