import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '../platform/errors/domain-error';
import { DispatchRepository } from './dispatch.repository';

/** Staff retry of a failed delivery: re-armed, then queued through the outbox like any other. */
@Injectable()
export class DispatchRetry {
  constructor(private readonly repository: DispatchRepository) {}

  async retry(id: string, actor: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError('Dispatch');
    const rearmed = await this.repository.rearmFailed(id, actor);
    if (!rearmed) {
      const dispatch = await this.repository.findDispatch(id);
      if (!dispatch) throw new NotFoundError('Dispatch');
      throw new ConflictError(
        'dispatch-not-failed',
        `Only a DISPATCH_FAILED dispatch can be retried; this one is ${dispatch.status}.`,
      );
    }
    return { dispatchId: id, portalCode: rearmed.portalCode, status: 'PENDING' };
  }
}
