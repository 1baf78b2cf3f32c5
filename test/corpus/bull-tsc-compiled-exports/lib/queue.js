"use strict";
// The application's own queue class around Bull, exported the tsc way.
Object.defineProperty(exports, "__esModule", { value: true });
exports.AppQueue = void 0;
class AppQueue {
    constructor(name, handlers) { this.handlers = handlers; this.name = name; }
    process(cb) { this.handlers.set(this.name, cb); }
}
exports.AppQueue = AppQueue;
