import { ContextKey, ContextKeyService } from '@theia/core/lib/browser/context-key-service';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { UserProfile } from '@vouch/protocol';
import { capabilityKeys, DeviceRequest, mayKey, VouchContextKeys } from '../common/vouch-context-keys';
import { VouchSession, VouchSessionState } from './vouch-session';

/**
 * Sets the Vouch context keys from the session, as Theia's ScmContextKeyService does for
 * source control: the session state, the profile, whether connected, and one `vouchMay.<request>`
 * key per row of the rights matrix. Menus, toolbar items and keybindings say `when`; command
 * handlers `match` the same clause, so the palette, the menus and the keys agree.
 */
@injectable()
export class VouchContextKeyService {
    @inject(ContextKeyService) protected readonly contextKeyService: ContextKeyService;
    @inject(VouchSession) protected readonly session: VouchSession;

    protected sessionState: ContextKey<VouchSessionState>;
    protected profile: ContextKey<UserProfile | undefined>;
    protected connected: ContextKey<boolean>;
    protected readonly capabilities = new Map<string, ContextKey<boolean>>();

    @postConstruct()
    protected init(): void {
        this.sessionState = this.contextKeyService.createKey<VouchSessionState>(VouchContextKeys.SESSION_STATE, this.session.state);
        this.profile = this.contextKeyService.createKey<UserProfile | undefined>(VouchContextKeys.PROFILE, undefined);
        this.connected = this.contextKeyService.createKey<boolean>(VouchContextKeys.CONNECTED, false);
        for (const key of Object.keys(capabilityKeys(undefined))) {
            this.capabilities.set(key, this.contextKeyService.createKey<boolean>(key, false));
        }
        this.session.onDidChangeState(() => this.update());
        this.update();
    }

    /**
     * The profile the server told this session, kept while reconnecting (the buttons of an
     * Administrator do not vanish on every network hiccup; they are disabled by `vouchConnected`),
     * and none without an unlocked, accepted device.
     */
    protected currentProfile(): UserProfile | undefined {
        const state = this.session.state;
        return state === 'connected' || state === 'reconnecting' ? this.session.sessionInfo?.profile : undefined;
    }

    protected update(): void {
        const profile = this.currentProfile();
        this.sessionState.set(this.session.state);
        this.profile.set(profile);
        this.connected.set(this.session.state === 'connected');
        for (const [key, value] of Object.entries(capabilityKeys(profile))) {
            this.capabilities.get(key)?.set(value);
        }
    }

    /**
     * Whether the current profile may send a request: the value its `vouchMay` key has, read
     * from the session now (so a listener of the same session event never reads it stale).
     */
    may(request: DeviceRequest): boolean {
        return capabilityKeys(this.currentProfile())[mayKey(request)] === true;
    }

    /** A `when` clause evaluated now, for command handlers (isVisible / isEnabled) and widgets. */
    match(when: string): boolean {
        return this.contextKeyService.match(when);
    }
}
