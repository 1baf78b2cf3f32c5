import { Injectable, Logger } from '@nestjs/common';
import { App, Block, KnownBlock } from '@slack/bolt';
import { User } from 'src/users/models';
import {
  SlackBlockConfig,
  slackChannels,
  SlackMessageResponse,
  SlackMsgAction,
  SlackMsgContext,
  SlackMsgContextImage,
  SlackMsgContextMrkdwn,
  SlackMsgPart,
} from './slack.types';

@Injectable()
export class SlackService {
  private app: App;
  private logger = new Logger(SlackService.name);

  constructor() {
    this.app = new App({
      token: process.env.SLACK_BOT_TOKEN,
      signingSecret: process.env.SLACK_SIGNING_SECRET,
    });
  }

  /**
   * Send a slack message
   * @param channel - The Channel to send the message
   * @param blocks - The message as blocks to send
   * @param message - The message as string to send
   */
  sendMessage = async (
    channel: string,
    blocks: (Block | KnownBlock)[],
    message?: string
  ): Promise<SlackMessageResponse> => {
    return await this.app.client.chat.postMessage({
      channel: channel,
      text: message,
      token: process.env.SLACK_BOT_TOKEN,
      blocks: blocks,
    });
  };

  sendReplyMessage = async (
    channel: string,
    thread_ts: string,
    blocks: (Block | KnownBlock)[],
    message?: string
  ): Promise<void> => {
    try {
      await this.app.client.chat.postMessage({
        channel: channel,
        text: message,
        token: process.env.SLACK_BOT_TOKEN,
        blocks: blocks,
        thread_ts: thread_ts,
      });
    } catch (error) {
      this.logger.error('SlackService - sendReplyMessage - error: ', error);
    }
  };

  sendMessageUserReported = async (
    userReporter: User,
    userReported: User,
    reason: string,
    comment: string
  ): Promise<void> => {
    const staffContactSlackEmail = userReported.staffContact?.slackEmail;
    const slackStaffContactUserId = await this.getUserIdByEmail(
      staffContactSlackEmail
    );
    await this.sendMessage(
      slackChannels.ENTOURAGE_PRO_MODERATION,
      await this.generateProfileReportedBlocks(
        userReporter,
        userReported,
        reason,
        comment,
        slackStaffContactUserId
      ),
      `Le profil de ${userReported.firstName} ${userReported.lastName} a été signalé`
    );
  };

  sendAdminNewRefererNotification = async (referer: User): Promise<void> => {
    const staffContactSlackEmail = referer.staffContact?.slackEmail;
    let slackStaffContactUserId = null;
    if (staffContactSlackEmail) {
      slackStaffContactUserId = await this.getUserIdByEmail(
        staffContactSlackEmail
      );
    }
    await this.sendMessage(
      slackChannels.ENTOURAGE_PRO_MODERATION,
      await this.generateRegisteredRefererBlocks(
        referer,
        slackStaffContactUserId
      ),
      `Nouveau prescripteur inscrit : ${referer.firstName} ${referer.lastName}`
    );
  };

  sendAdminNewReferingNotification = async (
    referredUser: User,
    referer: User
  ): Promise<void> => {
    const staffContactSlackEmail = referredUser.staffContact?.slackEmail;
    let slackStaffContactUserId = null;
    if (staffContactSlackEmail) {
      slackStaffContactUserId = await this.getUserIdByEmail(
        staffContactSlackEmail
      );
    }
    await this.sendMessage(
      slackChannels.ENTOURAGE_PRO_MODERATION,
      await this.generateReferedCandidateBlocks(
        referredUser,
        referer,
        slackStaffContactUserId
      ),
      `Un nouveau candidat a été orienté : ${referredUser.firstName} ${referredUser.lastName}`
    );
  };

  /**
   * Generate a the slack blocks for a message
   * @param param0 message configuration
   * @returns blocks for the message
   */
  generateSlackBlockMsg = ({
    title,
    context,
    msgParts,
    actions,
  }: SlackBlockConfig): (Block | KnownBlock)[] => {
    const blocksBuffer = [];

    // Title
    blocksBuffer.push(this.generateTitleBlock(title));

    // Divider
    blocksBuffer.push(this.generateDividerBlock());

    // Context with divider
    if (context && context.length) {
      blocksBuffer.push(this.generateContextBlock(context));
      blocksBuffer.push(this.generateDividerBlock());
    }

    // Message parts with divider
    if (msgParts.length) {
      blocksBuffer.push(this.generateMsgPartBlock(msgParts));
      blocksBuffer.push(this.generateDividerBlock());
    }

    // Actions with divider
    if (actions && actions.length) {
      blocksBuffer.push(this.generateActionsBlock(actions));
      blocksBuffer.push(this.generateDividerBlock());
    }
    return blocksBuffer;
  };

  /**
   * Generate a slack message for a profile reported
   * @param userReporter - The user who reported
   * @param userReported - The user who was reported
   * @param reason - The reason of the report
   * @param comment - The comment of the report
   * @returns blocks for the message
   */
  generateProfileReportedBlocks = async (
    userReporter: User,
    userReported: User,
    reason: string,
    comment: string,
    slackStaffContactUserId: string | null
  ) => {
    return this.generateSlackBlockMsg({
      title: '🚨 Un profil a été signalé',
      context: [
        {
          title: 'Signalé par',
          content: `\n${userReporter.firstName} ${userReporter.lastName} <${userReporter.email}>`,
        },
        {
          title: 'Référent de la personne signalée',
          content: slackStaffContactUserId
            ? `<@${slackStaffContactUserId}>`
            : 'Aucun référent assigné',
        },
      ],
      msgParts: [
        {
          content: `Profil signalé : ${userReported.firstName} ${userReported.lastName} <${userReported.email}>`,
        },
        {
          content: `Raison du signalement : ${reason}`,
        },
        {
          content: `Commentaire : ${comment}`,
        },
      ],
    });
  };

  async generateRegisteredRefererBlocks(
    referer: User,
    slackStaffContactUserId: string | null
  ) {
    return this.generateSlackBlockMsg({
      title: "👋 Nouveau prescripteur d'association inscrit",
      context: [
        {
          title: 'Référent de la personne inscrite',
          content: slackStaffContactUserId
            ? `<@${slackStaffContactUserId}>`
            : 'Aucun référent assigné',
        },
      ],
      msgParts: [
        {
          content: `Nouveau prescripteur inscrit : ${referer.firstName} ${referer.lastName} <${referer.email}>`,
        },
        {
          content: `Ce prescripteur est rattaché à l'association : ${
            referer.organization?.name || 'Aucune'
          }`,
        },
      ],
    });
  }

  async generateReferedCandidateBlocks(
    referredUser: User,
    referer: User,
    slackStaffContactUserId: string | null
  ) {
    return this.generateSlackBlockMsg({
      title: '👋 Nouveau candidat orienté',
      context: [
        {
          title: 'Référent de la personne orientée',
          content: slackStaffContactUserId
            ? `<@${slackStaffContactUserId}>`
            : 'Aucun référent assigné',
        },
      ],
      msgParts: [
        {
          content: `Nouveau candidat orienté : ${referredUser.firstName} ${referredUser.lastName} <${referredUser.email}>`,
        },
        {
          content: `Ce candidat a été orienté par : ${referer.firstName} ${referer.lastName}`,
        },
      ],
    });
  }

  async generateTechNotificationBlocks(
    success: boolean,
    title: string,
    context: SlackMsgContext[],
    message?: string
  ) {
    return this.generateSlackBlockMsg({
      title: `${
        success ? ':steam_locomotive::railway_car::railway_car:' : ':warning:'
      } ${title} - env: ${process.env.HEROKU_APP_NAME}`,
      context: context,
      msgParts: [
        ...(message
          ? [
              {
                content: message,
              },
            ]
          : []),
      ],
    });
  }

  async sendTechnicalMonitoringMessage(
    success: boolean,
    title: string,
    context: SlackMsgContext[],
    details?: string,
    channel = slackChannels.TECH_PRO_MONITORING
  ) {
    // Send slack notification with summary of users that have not completed onboarding
    const slackMessage = await this.sendMessage(
      channel,
      await this.generateTechNotificationBlocks(success, title, context),
      title
    );

    if (slackMessage && details) {
      await this.sendReplyMessage(channel, slackMessage.ts, [], details);
    }
  }

  /***************** */
  /* Private methods */
  /***************** */

  /**
   * Generate title block
   * @param title - The title
   * @returns The title block
   */
  private generateTitleBlock = (title: string) => {
    return {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${title}*`,
      },
    };
  };

  /**
   * Generate divider block
   * @returns The divider block
   */
  private generateDividerBlock = () => {
    return {
      type: 'divider',
    };
  };

  /**
   * Generate context block
   * @param contexts The context configuration
   * @returns The context block
   */
  private generateContextBlock = (contexts: SlackMsgContext[]) => {
    // Append environment context before generate
    contexts.push({
      title: 'Environnement',
      content: process.env.HEROKU_APP_NAME,
    });

    return {
      type: 'context',
      elements: contexts.map((context) => {
        if (
          context.hasOwnProperty('imageUrl') &&
          context.hasOwnProperty('altText')
        ) {
          const c = context as SlackMsgContextImage;
          return {
            type: 'image',
            image_url: c.imageUrl,
            alt_text: c.altText,
          };
        } else {
          const c = context as SlackMsgContextMrkdwn;
          return {
            type: 'mrkdwn',
            text: `${c.title}: ${c.content}`,
          };
        }
      }),
    } as Block;
  };

  /**
   * Generate message part block
   * @param msgParts message parts configuration
   * @returns The message part block
   */
  private generateMsgPartBlock = (msgParts: SlackMsgPart[]) => {
    return {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: msgParts.map((p) => p.content).join('\n'),
      },
    };
  };

  /**
   * Generate actions block
   * @param actions action configuration
   * @returns The actions block
   */
  private generateActionsBlock = (actions: SlackMsgAction[]) => {
    return {
      type: 'actions',
      elements: actions.map((action, idx) => ({
        type: 'button',
        text: {
          type: 'plain_text',
          text: action.label,
          emoji: true,
        },
        value: `action-${idx}}`,
        url: action.url,
      })),
    };
  };

  /**
   * Récupère l'ID utilisateur Slack à partir de son email
   * @param email - L'adresse email de l'utilisateur
   * @returns L'ID utilisateur Slack ou null si non trouvé
   */
  async getUserIdByEmail(email: string): Promise<string | null> {
    try {
      const response = await this.app.client.users.lookupByEmail({
        email,
        token: process.env.SLACK_BOT_TOKEN,
      });

      if (response.ok && response.user && response.user.id) {
        return response.user.id;
      } else {
        this.logger.error(
          'SlackService - getUserIdByEmail - user not found:',
          email
        );
        return null;
      }
    } catch (error) {
      this.logger.error('SlackService - getUserIdByEmail - error:', error);
      return null;
    }
  }
}
