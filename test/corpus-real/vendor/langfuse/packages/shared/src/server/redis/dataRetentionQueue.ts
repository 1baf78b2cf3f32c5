import { Queue } from "bullmq";
import { QueueName, QueueJobs } from "../queues";
import { createBullMQQueueOptionsWithRedis } from "./redis";
import { scheduleRecurringJob } from "./scheduleRecurringJob";
import { logger } from "../logger";

export class DataRetentionQueue {
  private static instance: Queue | null = null;

  public static getInstance(): Queue | null {
    if (DataRetentionQueue.instance) {
      return DataRetentionQueue.instance;
    }

    const queueOptionsWithRedis = createBullMQQueueOptionsWithRedis(
      QueueName.DataRetentionQueue,
    );
    DataRetentionQueue.instance = queueOptionsWithRedis
      ? new Queue(QueueName.DataRetentionQueue, {
          ...queueOptionsWithRedis,
          defaultJobOptions: {
            removeOnComplete: true,
            removeOnFail: 100,
            attempts: 5,
            backoff: {
              type: "exponential",
              delay: 5000,
            },
          },
        })
      : null;

    DataRetentionQueue.instance?.on("error", (err) => {
      logger.error("DataRetentionQueue error", err);
    });

    if (DataRetentionQueue.instance) {
      logger.debug("Scheduling jobs for DataRetentionQueue");
      scheduleRecurringJob(DataRetentionQueue.instance, {
        jobName: QueueJobs.DataRetentionJob,
        pattern: "15 3 * * *", // every day at 3:15am
      });
    }

    return DataRetentionQueue.instance;
  }
}
