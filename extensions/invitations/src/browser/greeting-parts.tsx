import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';

/** The other side's code among candidates, and "None of these codes". */
export function CodePicker(props: { prompt: string; candidates: readonly string[]; onPick(code: string | undefined): void }): React.ReactElement {
    return <div className='vouch-code-pick'>
        <p>{props.prompt}</p>
        <div className='vouch-code-candidates'>
            {props.candidates.map(code => <button key={code} className='theia-button vouch-code-candidate' data-code={code}
                onClick={() => props.onPick(code)}>{code}</button>)}
        </div>
        <button className='theia-button secondary vouch-code-none' onClick={() => props.onPick(undefined)}>
            {nls.localize('vouch/greeting/none', 'None of these codes')}
        </button>
    </div>;
}

/** This side's code, to read aloud. */
export function OwnCode(props: { intro: string; code: string }): React.ReactElement {
    return <div className='vouch-own-code-box'>
        <p>{props.intro}</p>
        <div className='vouch-own-code' data-code={props.code}>{props.code}</div>
    </div>;
}
