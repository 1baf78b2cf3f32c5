export { UpdateUserDto } from './update-user.dto';
export { UpdateUserRestrictedDto } from './update-user-restricted.dto';
export { UpdateUserRestrictedPipe } from './update-user-restricted.pipe';
