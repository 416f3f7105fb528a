import { unparsedSchema } from '../../common/host-setup/privileged-ops';
import { toAppError } from '../../common/contract/result';
import { invalidInput } from '../../common/contract/validation';
import type { MethodEntry, RegistryLookup, TopicEntry } from '../rpc/agent-registry';
import { PrivilegedRefusal, refuse } from './privileged-refusal';
import { loggedArguments, type CallOutcome, type PrivilegedLog } from './privileged-log';

/** What an audited call is recorded with. */
export interface AuditTarget {
  readonly log: PrivilegedLog;
  readonly callerUid: number;
}

function outcomeOf(thrown: unknown): CallOutcome {
  return thrown instanceof PrivilegedRefusal ? 'refused' : 'failed';
}

/**
 * The helper's registry as dispatch sees it: every method name resolves — a known one to its
 * handler, an unknown one to a refusal — and each call's params are parsed here, so every call
 * (done, refused, failed, unknown, malformed) is one line in privileged.log before it is
 * answered. The shared dispatch stays as it is; only what it looks up is wrapped.
 */
export class AuditedRegistry implements RegistryLookup {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly inner: RegistryLookup,
    private readonly audit: AuditTarget,
    private readonly operations: readonly string[],
  ) {}

  /** Every name resolves; see the class comment. */
  method(name: string): MethodEntry {
    const entry = this.inner.method(name);
    return {
      spec: { params: unparsedSchema, result: unparsedSchema },
      handler: (params, context) => this.track(this.run(name, entry, params, context)),
    };
  }

  /**
   * Resolves once every call started so far has settled: the helper must not exit while one runs
   * (its lock would stay behind and its undo would never run).
   */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(call: Promise<T>): Promise<T> {
    this.inFlight.add(call);
    void call.then(
      () => this.inFlight.delete(call),
      () => this.inFlight.delete(call),
    );
    return call;
  }

  private async run(
    name: string,
    entry: MethodEntry | undefined,
    params: unknown,
    context: Parameters<MethodEntry['handler']>[1],
  ): Promise<unknown> {
    try {
      if (entry === undefined)
        throw refuse(
          'privileged-unknown-operation',
          `The privileged LabDeck helper has no operation "${name}"; it accepts only ${this.operations.join(', ')}.`,
          'LabDeck and the helper installed on this host are from different versions: run labdeck host setup HOST again.',
        );
      const parsed = entry.spec.params.safeParse(params ?? {});
      if (!parsed.success)
        throw new PrivilegedRefusal(invalidInput(`arguments of ${name}`, parsed.error));
      const value = await entry.handler(parsed.data, context);
      await this.record(name, params, 'ok');
      return value;
    } catch (thrown) {
      const error = toAppError(thrown);
      await this.record(name, params, outcomeOf(thrown), error.code, error.message);
      throw thrown;
    }
  }

  /** The helper has no topics; a subscription attempt is recorded and refused by dispatch. */
  topic(name: string): TopicEntry | undefined {
    void this.record(name, {}, 'refused', 'unknown-agent-topic', 'the helper has no topics');
    return undefined;
  }

  private record(
    operation: string,
    params: unknown,
    result: CallOutcome,
    code?: string,
    message?: string,
  ): Promise<void> {
    return this.audit.log.record({
      callerUid: this.audit.callerUid,
      operation: operation.slice(0, 200),
      arguments: loggedArguments(params ?? {}),
      result,
      ...(code === undefined ? {} : { code, message }),
    });
  }
}
