import mongoose from 'mongoose';
const schema = new mongoose.Schema({ email: String, lastSeen: Date });
export const User = mongoose.model('User', schema);
