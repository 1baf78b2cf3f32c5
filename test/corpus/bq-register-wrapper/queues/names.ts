export enum QueueName {
  TraceDelete = 'trace-delete',
  Thumbnails = 'thumbnails',
}
export const evalShardNames = ['eval-0', 'eval-1'];
