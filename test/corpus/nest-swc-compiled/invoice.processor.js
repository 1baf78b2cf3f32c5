"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
Object.defineProperty(exports, "InvoiceProcessor", {
    enumerable: true,
    get: function() {
        return InvoiceProcessor;
    }
});
const _bullmq = require("@nestjs/bullmq");
const _pdfservice = require("./pdf.service");
function _ts_decorate(decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for(var i = decorators.length - 1; i >= 0; i--)if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
}
function _ts_metadata(k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
}
let InvoiceProcessor = class InvoiceProcessor extends _bullmq.WorkerHost {
    async process(job) {
        return this.pdf.render(job.data.lines);
    }
    constructor(pdf){
        super(), this.pdf = pdf;
    }
};
InvoiceProcessor = _ts_decorate([
    (0, _bullmq.Processor)('invoices'),
    _ts_metadata("design:type", Function),
    _ts_metadata("design:paramtypes", [
        typeof _pdfservice.PdfService === "undefined" ? Object : _pdfservice.PdfService
    ])
], InvoiceProcessor);
