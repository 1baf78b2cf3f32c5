import { SfLocalBranchName } from '../types/local-branches.types';
import { Zone, ZoneName, ZoneSuffix } from '../types/zones.types';

const awsS3Url = process.env.AWSS3_URL || '';
const awsS3ImageDir = process.env.AWSS3_IMAGE_DIRECTORY || '';
const imageBasePath = `${awsS3Url}${awsS3ImageDir}`;

export const Zones: { [key in ZoneName]: Zone } = {
  [ZoneName.IDF]: {
    name: ZoneName.IDF,
    sfLocalBranchNames: [SfLocalBranchName.PARIS],
    suffix: ZoneSuffix.PARIS,
    staffContact: {
      candidate: {
        name: 'Clothilde',
        img: `${imageBasePath}staff-pictures/clothilde.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_PARIS,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_PARIS,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_PARIS,
      },
      main: {
        name: 'Clothilde',
        img: `${imageBasePath}staff-pictures/clothilde.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_PARIS,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_PARIS,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_PARIS,
      },
      company: {
        name: 'Pauline',
        img: `${imageBasePath}staff-pictures/pauline.jpg`,
        email: process.env.STAFF_CONTACT_COMPANIES_EMAIL_PARIS,
        slackEmail: process.env.STAFF_CONTACT_COMPANIES_SLACK_EMAIL_PARIS,
        entourageProEmail:
          process.env.STAFF_CONTACT_COMPANIES_ENTOURAGE_PRO_EMAIL_PARIS,
      },
    },
  },
  [ZoneName.AURA]: {
    name: ZoneName.AURA,
    sfLocalBranchNames: [SfLocalBranchName.LYON],
    suffix: ZoneSuffix.LYON,
    staffContact: {
      candidate: {
        name: 'Alice',
        img: `${imageBasePath}staff-pictures/alice.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_LYON,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_LYON,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_LYON,
      },
      main: {
        name: 'Alice',
        img: `${imageBasePath}staff-pictures/alice.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_LYON,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_LYON,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_LYON,
      },
      company: {
        name: 'Pauline',
        img: `${imageBasePath}staff-pictures/pauline.jpg`,
        email: process.env.STAFF_CONTACT_COMPANIES_EMAIL_LYON,
        slackEmail: process.env.STAFF_CONTACT_COMPANIES_SLACK_EMAIL_LYON,
        entourageProEmail:
          process.env.STAFF_CONTACT_COMPANIES_ENTOURAGE_PRO_EMAIL_LYON,
      },
    },
  },
  [ZoneName.NORD]: {
    name: ZoneName.NORD,
    sfLocalBranchNames: [SfLocalBranchName.LILLE],
    suffix: ZoneSuffix.LILLE,
    staffContact: {
      candidate: {
        name: 'Julien',
        img: `${imageBasePath}staff-pictures/julien.png`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_LILLE,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_LILLE,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_LILLE,
      },
      main: {
        name: 'Julien',
        img: `${imageBasePath}staff-pictures/julien.png`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_LILLE,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_LILLE,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_LILLE,
      },
      company: {
        name: 'Pauline',
        img: `${imageBasePath}staff-pictures/pauline.jpg`,
        email: process.env.STAFF_CONTACT_COMPANIES_EMAIL_LILLE,
        slackEmail: process.env.STAFF_CONTACT_COMPANIES_SLACK_EMAIL_LILLE,
        entourageProEmail:
          process.env.STAFF_CONTACT_COMPANIES_ENTOURAGE_PRO_EMAIL_LILLE,
      },
    },
  },
  [ZoneName.BRETAGNE]: {
    name: ZoneName.BRETAGNE,
    sfLocalBranchNames: [SfLocalBranchName.RENNES],
    suffix: ZoneSuffix.RENNES,
    staffContact: {
      candidate: {
        name: 'Mathilde',
        img: `${imageBasePath}staff-pictures/mathilde.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_RENNES,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_RENNES,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_RENNES,
      },
      main: {
        name: 'Mathilde',
        img: `${imageBasePath}staff-pictures/mathilde.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_RENNES,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_RENNES,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_RENNES,
      },
      company: {
        name: 'Pauline',
        img: `${imageBasePath}staff-pictures/pauline.jpg`,
        email: process.env.STAFF_CONTACT_COMPANIES_EMAIL_RENNES,
        slackEmail: process.env.STAFF_CONTACT_COMPANIES_SLACK_EMAIL_RENNES,
        entourageProEmail:
          process.env.STAFF_CONTACT_COMPANIES_ENTOURAGE_PRO_EMAIL_RENNES,
      },
    },
  },

  // To be removed in the future, in favor of Bretagne zone but can't be done now
  // due to the fact that only the zone is stored in DB and we need a local branch
  // to sync in Salesforce
  [ZoneName.LORIENT]: {
    name: ZoneName.LORIENT,
    sfLocalBranchNames: [SfLocalBranchName.LORIENT],
    suffix: ZoneSuffix.RENNES,
    staffContact: {
      candidate: {
        name: 'Mathilde',
        img: `${imageBasePath}staff-pictures/mathilde.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_RENNES,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_RENNES,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_RENNES,
      },
      main: {
        name: 'Mathilde',
        img: `${imageBasePath}staff-pictures/mathilde.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_RENNES,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_RENNES,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_RENNES,
      },
      company: {
        name: 'Pauline',
        img: `${imageBasePath}staff-pictures/pauline.jpg`,
        email: process.env.STAFF_CONTACT_COMPANIES_EMAIL_RENNES,
        slackEmail: process.env.STAFF_CONTACT_COMPANIES_SLACK_EMAIL_RENNES,
        entourageProEmail:
          process.env.STAFF_CONTACT_COMPANIES_ENTOURAGE_PRO_EMAIL_RENNES,
      },
    },
  },
  [ZoneName.SUDOUEST]: {
    name: ZoneName.SUDOUEST,
    sfLocalBranchNames: [SfLocalBranchName.BORDEAUX],
    suffix: ZoneSuffix.SUDOUEST,
    staffContact: {
      candidate: {
        name: 'Laure',
        img: `${imageBasePath}staff-pictures/laure.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_SUDOUEST,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_SUDOUEST,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_SUDOUEST,
      },
      main: {
        name: 'Laure',
        img: `${imageBasePath}staff-pictures/laure.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_SUDOUEST,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_SUDOUEST,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_SUDOUEST,
      },
      company: {
        name: 'Pauline',
        img: `${imageBasePath}staff-pictures/pauline.jpg`,
        email: process.env.STAFF_CONTACT_COMPANIES_EMAIL_SUDOUEST,
        slackEmail: process.env.STAFF_CONTACT_COMPANIES_SLACK_EMAIL_SUDOUEST,
        entourageProEmail:
          process.env.STAFF_CONTACT_COMPANIES_ENTOURAGE_PRO_EMAIL_SUDOUEST,
      },
    },
  },
  [ZoneName.HZ]: {
    name: ZoneName.HZ,
    sfLocalBranchNames: [SfLocalBranchName.HZ],
    suffix: ZoneSuffix.HZ,
    staffContact: {
      candidate: {
        name: 'Laure',
        img: `${imageBasePath}staff-pictures/laure.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_HZ,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_HZ,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_HZ,
      },
      main: {
        name: 'Laure',
        img: `${imageBasePath}staff-pictures/laure.jpg`,
        email: process.env.STAFF_CONTACT_MAIN_EMAIL_HZ,
        slackEmail: process.env.STAFF_CONTACT_MAIN_SLACK_EMAIL_HZ,
        entourageProEmail:
          process.env.STAFF_CONTACT_MAIN_ENTOURAGE_PRO_EMAIL_HZ,
      },
      company: {
        name: 'Pauline',
        img: `${imageBasePath}staff-pictures/pauline.jpg`,
        email: process.env.STAFF_CONTACT_COMPANIES_EMAIL_HZ,
        slackEmail: process.env.STAFF_CONTACT_COMPANIES_SLACK_EMAIL_HZ,
        entourageProEmail:
          process.env.STAFF_CONTACT_COMPANIES_ENTOURAGE_PRO_EMAIL_HZ,
      },
    },
  },
};
