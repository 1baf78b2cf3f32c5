export interface IQueueResponse {
    message: string;
    [key: string]: unknown;
}
