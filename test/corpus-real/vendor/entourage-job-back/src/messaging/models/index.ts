export { Message } from './message.model';
export { Conversation } from './conversation.model';
export { ConversationParticipant } from './conversation-participant.model';
export { MessageMedia } from './message-media.model';
