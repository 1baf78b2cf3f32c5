import { Model } from 'objection';

// The app's models add nothing to the ORM's static query API.
export class Base extends Model {
  createdAt?: string;
}

export class Invoice extends Base {
  static tableName = 'invoices';
  id!: string;
  total!: number;
}
