const GitHub = require('./GitHub');
const SourceCodePlatformHelper = require('./SourceCodePlatformHelper');
const TemplateResolver = require('./TemplateResolver');
const { Organization, Site, User } = require('../models');
const utils = require('../utils');
const CloudFoundryAPIClient = require('../utils/cfApiClient');
const config = require('../../config');
const { BuildService } = require('./build');

const apiClient = new CloudFoundryAPIClient();

const defaultEngine = 'node.js';

function paramsForNewSite(params) {
  const owner = params.owner ? params.owner.toLowerCase().trim() : null;
  const repository = params.repository ? params.repository.toLowerCase().trim() : null;
  const subdomain = utils.generateSubdomain(owner, repository);
  const config = { containerConfig: { name: '', size: 'large' } };
  const organizationId = params.organizationId
    ? parseInt(params.organizationId, 10)
    : null;
  return {
    owner,
    repository,
    defaultBranch: params.defaultBranch,
    engine: params.engine || defaultEngine,
    organizationId,
    subdomain,
    sourceCodePlatform: params.sourceCodePlatform,
    sourceCodeUrl: params.sourceCodeUrl,
    config,
    editorSiteId: params.editorSiteId || null,
  };
}

function paramsForNewBuild({ user, site }) {
  return {
    user: user.id,
    site: site.id,
    branch: site.defaultBranch,
    username: user.username,
  };
}

function ownerIsFederalistUser(owner) {
  return User.findOne({
    where: {
      username: owner,
    },
    attributes: ['username'],
  });
}

function checkSiteExists({ owner, repository, organizationId }) {
  return Site.findOne({
    where: {
      owner,
      repository,
    },
    include: [
      {
        model: Organization,
        where: { id: organizationId },
      },
    ],
  }).then((existingSite) => {
    if (existingSite) {
      const error = new Error(
        `This site has already been added to ${config.app.appName}.`,
      );
      error.status = 400;
      throw error;
    }
  });
}

function checkGithubOrg({ user, owner }) {
  return ownerIsFederalistUser(owner)
    .then((model) => {
      if (model) {
        // Owner of the repo is a user with a DB record, and not an org.
        // Drop down to the next promise and bypass the org check
        return Promise.resolve(true);
      }

      return GitHub.checkOrganizations(user, owner);
    })
    .then((federalistAuthorizedOrg) => {
      // Has this org authorized federalist as an oauth app?
      if (!federalistAuthorizedOrg) {
        throw {
          message:
            `${config.app.appName} can't confirm org permissions for '${owner}'.` +
            // eslint-disable-next-line max-len
            `Either '${owner}' hasn't approved access for ${config.app.appName} or you aren't an org member.` +
            // eslint-disable-next-line max-len
            `Ensure you are an org member and ask an org owner to authorize ${config.app.appName} for the organization.`,
          status: 403,
        };
      }
    });
}

async function checkRepositoryAndOrg({
  user,
  owner,
  repository,
  sourceCodePlatform,
  sourceCodeUrl,
}) {
  if (SourceCodePlatformHelper.isWorkshopPlatform(sourceCodePlatform)) {
    return await SourceCodePlatformHelper.getGitLabProjectToCreateSite(
      user,
      sourceCodeUrl,
    );
  } else {
    const repo = await checkGithubRepository({ user, owner, repository });
    await checkGithubOrg({
      user,
      owner,
    });
    return repo;
  }
}

function checkGithubRepository({ user, owner, repository }) {
  return GitHub.getRepository(user, owner, repository).then((repo) => {
    if (!repo) {
      throw {
        message: `The repository ${owner}/${repository} does not exist.`,
        status: 400,
      };
    }
    if (!repo.permissions.admin) {
      throw {
        message: 'You do not have admin access to this repository',
        status: 400,
      };
    }
    return repo;
  });
}

function buildSite(params, s3) {
  const siteParams = {
    ...params,
    s3ServiceName: s3.serviceName,
    awsBucketName: s3.bucket,
    awsBucketRegion: s3.region,
  };

  const site = Site.build(siteParams);

  return site
    .validate()
    .then(() => ({ site, s3: { bucket: s3.bucket, region: s3.region } }));
}

function buildInfrastructure(params, s3ServiceName) {
  return apiClient
    .createSiteBucket(s3ServiceName, config.env.cfSpaceGuid)
    .then(() => apiClient.fetchServiceInstanceCredentials(s3ServiceName))
    .then((credentials) => {
      const s3 = {
        serviceName: s3ServiceName,
        bucket: credentials.bucket,
        region: credentials.region,
      };

      return buildSite(params, s3);
    });
}

function validateSite(params) {
  const s3ServiceName = utils.generateS3ServiceName(params.owner, params.repository);

  if (!s3ServiceName) {
    // Will always not create a valid site object
    // Used to throw the invalid model error and messaging
    const site = Site.build(params);

    return site.validate().then(() => site);
  }

  return buildInfrastructure(params, s3ServiceName);
}

/**
 * Accepts an object describing the new site's attributes and a
 * Federalist user object.
 *
 * returns the new site record
 */
async function saveAndBuildSite({ site, user }) {
  const webhook = await SourceCodePlatformHelper.createSiteWebhook(user, site);

  // This will be `undefined` if the webhook already exists
  if (webhook) {
    site.set('webhookId', webhook.data.id);
  }

  await site.save();

  // Currently uses site.defaultBranch to
  // create site branch config via validateSite function
  // will need to change in the future once the defaultBranch column is dropped from site
  await site.createSiteBranchConfig({
    branch: site.defaultBranch,
    context: 'site',
    s3Key: `/site/${site.owner}/${site.repository}`,
  });

  const buildParams = paramsForNewBuild({
    site,
    user,
  });

  const build = await BuildService.createBuild(
    buildParams,
    SourceCodePlatformHelper.flows.FLOW_NEW_SITE_BUILD,
  );
  await build.enqueue();

  return site;
}

async function createSiteFromExistingRepo({ siteParams, user }) {
  const { owner, repository, organizationId, sourceCodePlatform, sourceCodeUrl } =
    siteParams;

  await checkSiteExists({
    owner,
    repository,
    organizationId,
  });

  const repo = await checkRepositoryAndOrg({
    user,
    owner,
    repository,
    sourceCodePlatform,
    sourceCodeUrl,
  });
  const { site, s3 } = await validateSite({
    ...siteParams,
    defaultBranch: repo.default_branch,
  });

  const savedSite = await saveAndBuildSite({
    site,
    user,
  });

  return { site: savedSite, s3 };
}

async function createSiteFromTemplate({ siteParams, user, template }) {
  const params = getProcessedSiteParams(siteParams, template);
  const { owner, repository, namespace, project } = params;

  const { site, s3 } = await validateSite(params);
  await SourceCodePlatformHelper.createRepoFromTemplate({
    user,
    owner,
    repository,
    namespace,
    project,
    template,
  });
  const savedSite = await saveAndBuildSite({
    site,
    user,
  });

  return { site: savedSite, s3 };
}

function sanitize(userInput) {
  return userInput?.trim().replace(/^\//, '').replace(/\/$/, '').trim().toLowerCase();
}

function getProcessedSiteParams(siteParams, template) {
  const isWorkshop = SourceCodePlatformHelper.isWorkshopUrl(
    template?.templateSourceCodeUrl,
  );
  const owner = sanitize(siteParams.owner);
  const repository = sanitize(siteParams.repository);
  const params = {
    ...siteParams,
    defaultBranch: template.branch,
    engine: template.engine,
    owner: owner,
    repository: repository,
    sourceCodePlatform: isWorkshop ? Site.Platforms.Workshop : Site.Platforms.Github,
    namespace: '',
    project: '',
  };
  if (isWorkshop) {
    params.namespace = owner;
    params.project = repository;
    const [gitlabOwner, ...rest] = `${owner}/${repository}`.split('/');
    params.owner = gitlabOwner;
    params.repository = rest.join('/');
  }
  return params;
}

function getSourceCodePlatformForNewSite(template, newSiteParams) {
  const templateSourcecodePlatform = () =>
    SourceCodePlatformHelper.isWorkshopUrl(template?.templateSourceCodeUrl)
      ? Site.Platforms.Workshop
      : Site.Platforms.Github;
  return template ? templateSourcecodePlatform() : newSiteParams.sourceCodePlatform;
}

async function createSite({ user, siteParams }) {
  const templateName = siteParams.template;

  const template = templateName && TemplateResolver.getTemplate(templateName);
  const newSiteParams = paramsForNewSite(siteParams);

  await SourceCodePlatformHelper.refreshUserGitLabTokenIfNeeded(
    user,
    getSourceCodePlatformForNewSite(template, newSiteParams),
    SourceCodePlatformHelper.flows.FLOW____CREATE_SITE,
  );

  if (template) {
    return createSiteFromTemplate({
      siteParams: newSiteParams,
      template,
      user,
    });
  }

  return createSiteFromExistingRepo({
    siteParams: newSiteParams,
    user,
  });
}

module.exports = {
  createSite,
  getProcessedSiteParams,
  getSourceCodePlatformForNewSite,
};
