import { Queue } from "bullmq";
import { QueueName, QueueJobs } from "../queues";
import { createBullMQQueueOptionsWithRedis } from "./redis";
import { scheduleRecurringJob } from "./scheduleRecurringJob";
import { logger } from "../logger";

export const POSTHOG_SYNC_CRON_PATTERN = "30 * * * *"; // every hour at :30

export class PostHogIntegrationQueue {
  private static instance: Queue | null = null;

  public static getInstance(): Queue | null {
    if (PostHogIntegrationQueue.instance) {
      return PostHogIntegrationQueue.instance;
    }

    const queueOptionsWithRedis = createBullMQQueueOptionsWithRedis(
      QueueName.PostHogIntegrationQueue,
    );
    PostHogIntegrationQueue.instance = queueOptionsWithRedis
      ? new Queue(QueueName.PostHogIntegrationQueue, {
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

    PostHogIntegrationQueue.instance?.on("error", (err) => {
      logger.error("PostHogIntegrationQueue error", err);
    });

    if (PostHogIntegrationQueue.instance) {
      logger.debug("Scheduling jobs for PostHogIntegrationQueue");
      scheduleRecurringJob(PostHogIntegrationQueue.instance, {
        jobName: QueueJobs.PostHogIntegrationJob,
        pattern: POSTHOG_SYNC_CRON_PATTERN,
      });
    }

    return PostHogIntegrationQueue.instance;
  }
}
