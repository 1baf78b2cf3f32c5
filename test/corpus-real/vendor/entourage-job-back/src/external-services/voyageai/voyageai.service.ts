import { Injectable, Logger } from '@nestjs/common';
import { VoyageAIClient, VoyageAIError } from 'voyageai';

import { EMBEDDING_MODEL } from 'src/embeddings/embedding.config';

@Injectable()
export class VoyageAiService {
  private readonly voyageAi: VoyageAIClient;
  private readonly logger = new Logger(VoyageAiService.name);

  constructor() {
    this.voyageAi = new VoyageAIClient({
      apiKey: process.env.VOYAGEAI_API_KEY ?? '',
    });
  }

  async generateEmbedding(data: string): Promise<number[]> {
    try {
      const response = await this.voyageAi.embed({
        input: data,
        model: EMBEDDING_MODEL,
      });
      return response.data[0].embedding;
    } catch (error) {
      if (error instanceof VoyageAIError) {
        this.logger.error(
          `VoyageAI API error: ${error.message} (status code: ${error.statusCode})`,
          {
            statusCode: error.statusCode,
            message: error.message,
          }
        );
      }
      throw new Error('Failed to generate embedding');
    }
  }

  /**
   * Generates embeddings for multiple texts in a single API call.
   * Optimizes calls to VoyageAI by respecting rate limits.
   * @param dataArray Array of texts to convert into embeddings
   * @returns Array of embeddings in the same order as the inputs
   */
  async generateEmbeddingsBatch(dataArray: string[]): Promise<number[][]> {
    if (dataArray.length === 0) {
      return [];
    }

    try {
      this.logger.log(
        `Generating batch of ${dataArray.length} embeddings with VoyageAI`
      );

      const response = await this.voyageAi.embed({
        input: dataArray,
        model: EMBEDDING_MODEL,
      });

      // The API returns an array of embeddings corresponding to the input array
      return response.data.map((item) => item.embedding);
    } catch (error) {
      if (error instanceof VoyageAIError) {
        this.logger.error(
          `VoyageAI API batch error: ${error.message} (status code: ${error.statusCode})`,
          {
            statusCode: error.statusCode,
            message: error.message,
            batchSize: dataArray.length,
          }
        );
      }
      throw new Error(
        `Failed to generate batch embeddings for ${dataArray.length} items`
      );
    }
  }
}
