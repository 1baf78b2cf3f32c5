/**
 * This constants needs to match with the clickhouse table that automatically
 * reads/populates kafka. See clickhouse migrations for more details.
 */
export const KAFKA_TOPIC_MESSAGE_STATUS = 'message_status';
