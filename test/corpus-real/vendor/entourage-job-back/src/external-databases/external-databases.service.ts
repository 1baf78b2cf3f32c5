import { Injectable } from '@nestjs/common';
import { UpdateUserSocialSituationDto } from '../user-social-situations/dto/update-user-social-situation.dto';
import { CreateUserRegistrationDto } from '../users-creation/dto';
import { CandidateGender, CandidateGenders } from 'src/contacts/contacts.types';
import { QueuesService } from 'src/queues/producers/queues.service';
import { Jobs } from 'src/queues/queues.types';
import { Genders } from 'src/users/users.types';

@Injectable()
export class ExternalDatabasesService {
  constructor(private queuesService: QueuesService) {}

  async createExternalDBUser(
    userId: string,
    otherInfo: Pick<
      CreateUserRegistrationDto,
      | 'campaign'
      | 'birthDate'
      | 'workingRight'
      | 'gender'
      | 'refererEmail'
      | 'companyRole'
    > & { companyId?: string; isCompanyAdmin?: boolean }
  ) {
    let convertedGenderType: CandidateGender;
    switch (otherInfo.gender) {
      case Genders.MALE:
        convertedGenderType = CandidateGenders.MALE;
        break;
      case Genders.FEMALE:
        convertedGenderType = CandidateGenders.FEMALE;
        break;
      case Genders.OTHER:
        convertedGenderType = CandidateGenders.OTHER;
        break;
      case undefined:
        convertedGenderType = null;
        break;
      default:
        throw new Error('Invalid gender value');
    }

    await this.queuesService.addToWorkQueue(
      Jobs.CREATE_OR_UPDATE_SALESFORCE_USER,
      {
        userId,
        ...otherInfo,
        gender: convertedGenderType,
      }
    );
  }

  async updateExternalDBUserSocialSituation(
    userId: string,
    data: Pick<
      UpdateUserSocialSituationDto,
      | 'nationality'
      | 'accommodation'
      | 'resources'
      | 'studiesLevel'
      | 'workingExperience'
      | 'jobSearchDuration'
    >
  ) {
    await this.queuesService.addToWorkQueue(
      Jobs.CREATE_OR_UPDATE_SALESFORCE_USER,
      {
        userId,
        ...data,
        // Defaulting to false because social situation is only for Candidates, so they can't be company admins
        isCompanyAdmin: false,
      }
    );
  }

  async createOrUpdateExternalDBCompany(
    companyName: string,
    data: { department?: string; phone?: string; userId?: string }
  ): Promise<void> {
    await this.queuesService.addToWorkQueue(
      Jobs.CREATE_OR_UPDATE_SALESFORCE_COMPANY,
      {
        name: companyName,
        ...data,
      }
    );
  }

  async updateUserCompanyExternalDBCompany(
    userId: string,
    companyId: string | null
  ): Promise<void> {
    await this.queuesService.addToWorkQueue(
      Jobs.UPDATE_SALESFORCE_USER_COMPANY,
      {
        userId,
        companyId,
      }
    );
  }
}
