"use strict";
Object.defineProperty(exports, "__esModule", {
    value: true
});
function _export(target, all) {
    for(var name in all)Object.defineProperty(target, name, {
        enumerable: true,
        get: all[name]
    });
}
_export(exports, {
    PDF_FONT: function() {
        return PDF_FONT;
    },
    PdfService: function() {
        return PdfService;
    }
});
const _common = require("@nestjs/common");
const _pdfkit = /*#__PURE__*/ _interop_require_default(require("pdfkit"));
function _interop_require_default(obj) {
    return obj && obj.__esModule ? obj : {
        default: obj
    };
}
function _ts_decorate(decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for(var i = decorators.length - 1; i >= 0; i--)if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
}
const PDF_FONT = 'Helvetica';
let PdfService = class PdfService {
    render(lines) {
        const doc = new _pdfkit.default({ font: PDF_FONT });
        for (const line of lines)doc.text(line);
        doc.end();
        return doc;
    }
};
PdfService = _ts_decorate([
    (0, _common.Injectable)()
], PdfService);
