"use strict";
// tsc declares every exported name as void 0 first, then assigns it after the declaration.
Object.defineProperty(exports, "__esModule", { value: true });
exports.Store = exports.openStore = void 0;
const pg_1 = require("pg");
class Store {
    constructor() { this.pool = new pg_1.Pool(); }
    save(row) { return this.pool.query('INSERT INTO rows (data) VALUES ($1)', [row]); }
}
exports.Store = Store;
const openStore = () => new Store();
exports.openStore = openStore;
