module.exports = {
  USER_REQUIRED:
    // eslint-disable-next-line max-len
    'A site must have at least one user. If you want to remove the last user, delete the site from Settings -> Advanced.',
  OWNER_REMOVE: 'The owner cannot be removed from a site.',
  WRITE_ACCESS_REQUIRED: 'You do not have write access to this repository',
  NO_ASSOCIATED_ORGANIZATION: 'That user is not associated with this organization.',
  NO_ASSOCIATED_USER: 'That user is not associated with this site.',
  ADMIN_ACCESS_REQUIRED: 'You do not have administrative access to this repository',
  CAN_NOT_RETRIEVE_USER_GITLAB_INFORMATION:
    'Unable to retrieve the user’s GitLab information.',
  CAN_NOT_RETRIEVE_USER_GITLAB_PROJECT_AUTHORIZATION:
    'Unable to retrieve the user’s GitLab project authorization.',
  GITLAB_ACCESS_REQUIRED_FOR_DELETED_GITLAB_PROJECT:
    'You don’t have permission in GitLab to delete this site for a deleted project.',
  DELETE_SITE_GITLAB_ACCESS_REQUIRED:
    'You do not have GitLab project access level to delete this site.',
  NOT_FOUND: 'Not found',
  ORGANIZATION_REQUIRED: 'An organization must be specified when creating a new site',
  ORGANIZATION_INACTIVE: 'This organization has been deactivated.',
  ORGANIZATION_MANAGER_ACCESS: 'You do not have manager access to this organization.',
  ORGANIZATION_USER_ACCESS: 'You do not have access to this organization.',
  SITE_FILE_STORAGE_EXISTS:
    'The site already has an existing file storage services available.',
  SITE_DOES_NOT_EXIST: 'The specified site does not exist',
  SITE_FILE_STORAGE_DOES_NOT_EXIST: 'The specified site file storage does not exist.',
  DIRECTORY_MUST_BE_EMPTIED:
    'This directory cannot be deleted. Please delete file contents first.',
  PATH_TRAVERSAL_DETECTED: 'Path traversal detected.',
  DIRECTORY_EXISTS_ALREADY:
    'A directory with the same name already exists. Please rename your new directory.',
  FILE_EXISTS_ALREADY:
    'A file with the same name already exists. Please rename your new file.',
  NEW_ERRORS: '',
  INVALID_BRANCH_NAME: 'Invalid branch name.',
};
