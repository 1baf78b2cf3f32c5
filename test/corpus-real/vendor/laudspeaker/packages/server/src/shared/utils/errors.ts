export default {
  ERROR_DOES_NOT_EXIST: 'The specified value does not exist.',
  ERROR_EXISTS: 'The specified value already exists.',
  ERROR_MODIFYING_STATIC_AUDIENCE:
    'Static audiences cannot be modified once the journey has started.',
};
