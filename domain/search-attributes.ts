/** Typed search attributes: what admins filter on in the Web UI and `temporal workflow list --query`. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OKTA_APP_ID = defineSearchAttributeKey('OktaAppId', SearchAttributeType.KEYWORD);
export const OKTA_APP_LABEL = defineSearchAttributeKey('OktaAppLabel', SearchAttributeType.KEYWORD);
export const OKTA_VENDOR = defineSearchAttributeKey('OktaVendor', SearchAttributeType.KEYWORD);
export const REMEDIATION_PHASE = defineSearchAttributeKey('RemediationPhase', SearchAttributeType.KEYWORD);
export const AFFECTED_USERS = defineSearchAttributeKey('AffectedUsers', SearchAttributeType.INT);

/** Registered by the dev-server script: `--search-attribute Name=Type`. */
export const SEARCH_ATTRIBUTES = [OKTA_APP_ID, OKTA_APP_LABEL, OKTA_VENDOR, REMEDIATION_PHASE, AFFECTED_USERS];
