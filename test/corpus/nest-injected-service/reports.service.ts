import { Injectable } from '@nestjs/common';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
@Injectable()
export class ThumbnailService {
  private readonly s3 = new S3Client({});
  async render(input: Buffer): Promise<Buffer> {
    const small = await sharp(input).resize(320).png().toBuffer();
    const medium = await sharp(input).resize(960).png().toBuffer();
    return Buffer.concat([small, medium]);
  }
}
@Injectable()
export class NotifyService {
  constructor(private readonly s3: S3Client) {}
  async publish(key: string, body: Buffer): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: 'b', Key: key, Body: body }));
  }
}
