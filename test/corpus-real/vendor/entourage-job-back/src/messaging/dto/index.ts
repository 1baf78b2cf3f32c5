export { PostFeedbackPipe } from './post-feedback.pipe';
export { PostFeedbackDto } from './post-feedback.dto';
export { CreateMessagePipe } from './create-message.pipe';
export { CreateMessageDto } from './create-message.dto';
