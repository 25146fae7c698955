{{/*
Names. The chart name, the release's full name (the release name when it already contains the
chart name, so `helm install mcp-sidecar` gives `mcp-sidecar-injector`), and the injector's names.
*/}}
{{- define "mcp-sidecar.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mcp-sidecar.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The injector's Deployment, Service, ServiceAccount, Certificate and webhook configuration. */}}
{{- define "mcp-sidecar.injector.fullname" -}}
{{- printf "%s-injector" (include "mcp-sidecar.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mcp-sidecar.injector.serviceAccountName" -}}
{{- if .Values.webhook.serviceAccount.create }}
{{- default (include "mcp-sidecar.injector.fullname" .) .Values.webhook.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.webhook.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The kubernetes.io/tls Secret holding the serving certificate (either mode). */}}
{{- define "mcp-sidecar.injector.tlsSecretName" -}}
{{- printf "%s-tls" (include "mcp-sidecar.injector.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The DNS name the API server calls: <service>.<namespace>.svc */}}
{{- define "mcp-sidecar.injector.serviceHost" -}}
{{- printf "%s.%s.svc" (include "mcp-sidecar.injector.fullname" .) .Release.Namespace }}
{{- end }}

{{- define "mcp-sidecar.catalog.configMapName" -}}
{{- printf "%s-catalog" (include "mcp-sidecar.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Images: registry/repository:tag, or registry/repository@digest when a digest is given. The
registry is global.imageRegistry; when it is empty the repository is used as written.
Call with (dict "image" .Values.x.image "root" $).
*/}}
{{- define "mcp-sidecar.image" -}}
{{- $image := .image }}
{{- $repository := $image.repository }}
{{- with .root.Values.global.imageRegistry }}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}
{{- end }}
{{- if $image.digest }}
{{- printf "%s@%s" $repository $image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default .root.Chart.AppVersion $image.tag) }}
{{- end }}
{{- end }}

{{/*
The alert rules of files/prometheus/mcp-sidecar-rules.yaml as a list of groups: runbook links
rebased on monitoring.runbookBaseUrl, and the injector's group only when its metrics are scraped
(webhookMonitor.enabled; its alerts would otherwise fire on missing series).
*/}}
{{- define "mcp-sidecar.ruleGroups" -}}
{{- $file := .Files.Get "files/prometheus/mcp-sidecar-rules.yaml" }}
{{- $base := .Values.monitoring.runbookBaseUrl }}
{{- if not (hasSuffix "/" $base) }}
{{- $base = printf "%s/" $base }}
{{- end }}
{{- $file = replace "https://github.com/mcp-sidecar/mcp-sidecar/blob/main/docs/runbooks/" $base $file }}
{{- $groups := list }}
{{- range (fromYaml $file).groups }}
{{- if or $.Values.monitoring.webhookMonitor.enabled (ne .name "mcp-sidecar-injector") }}
{{- $groups = append $groups . }}
{{- end }}
{{- end }}
{{- toYaml $groups }}
{{- end }}

{{/* Standard labels on every object. */}}
{{- define "mcp-sidecar.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "mcp-sidecar.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: mcp-sidecar
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "mcp-sidecar.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mcp-sidecar.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of the injector's objects and the selector of its pods. */}}
{{- define "mcp-sidecar.injector.labels" -}}
{{ include "mcp-sidecar.labels" . }}
app.kubernetes.io/component: injector
{{- end }}

{{- define "mcp-sidecar.injector.selectorLabels" -}}
{{ include "mcp-sidecar.selectorLabels" . }}
app.kubernetes.io/component: injector
{{- end }}

{{/*
The namespaces the webhook never sees: the configured ones plus the release's own, so that the
injector's pods can always start, even while the injector is down.
*/}}
{{- define "mcp-sidecar.excludedNamespaces" -}}
{{- $namespaces := concat .Values.webhook.excludedNamespaces (list .Release.Namespace) | uniq }}
{{- toJson $namespaces }}
{{- end }}

{{/*
The generated CA and serving certificate (certManager.enabled=false), computed once per render
and shared by the Secret and the webhook configurations (the caBundle). An existing Secret of a
previous install is reused (lookup), so an upgrade neither rotates the certificate nor leaves
the caBundle and the Secret out of step.
*/}}
{{- define "mcp-sidecar.generatedTls" -}}
{{- if not (hasKey .Values "__generatedTls") }}
{{- $secretName := include "mcp-sidecar.injector.tlsSecretName" . }}
{{- $existing := lookup "v1" "Secret" .Release.Namespace $secretName }}
{{- $tls := dict }}
{{- if and $existing $existing.data (hasKey $existing.data "ca.crt") (hasKey $existing.data "tls.crt") (hasKey $existing.data "tls.key") }}
{{- $_ := set $tls "ca" (index $existing.data "ca.crt") }}
{{- $_ := set $tls "cert" (index $existing.data "tls.crt") }}
{{- $_ := set $tls "key" (index $existing.data "tls.key") }}
{{- else }}
{{- $service := include "mcp-sidecar.injector.fullname" . }}
{{- $days := int .Values.generatedCert.validityDays }}
{{- $ca := genCA (printf "%s-ca" $service) $days }}
{{- $host := include "mcp-sidecar.injector.serviceHost" . }}
{{- $dnsNames := list $service (printf "%s.%s" $service .Release.Namespace) $host (printf "%s.cluster.local" $host) }}
{{- $cert := genSignedCert $host nil $dnsNames $days $ca }}
{{- $_ := set $tls "ca" ($ca.Cert | b64enc) }}
{{- $_ := set $tls "cert" ($cert.Cert | b64enc) }}
{{- $_ := set $tls "key" ($cert.Key | b64enc) }}
{{- end }}
{{- $_ := set .Values "__generatedTls" $tls }}
{{- end }}
{{- toJson (get .Values "__generatedTls") }}
{{- end }}

{{/* What a webhook configuration needs for its CA: the cert-manager annotation... */}}
{{- define "mcp-sidecar.webhookAnnotations" -}}
{{- if .Values.certManager.enabled }}
cert-manager.io/inject-ca-from: {{ printf "%s/%s" .Release.Namespace (include "mcp-sidecar.injector.fullname" .) }}
{{- end }}
{{- end }}

{{/* ...or the caBundle of the generated CA. */}}
{{- define "mcp-sidecar.clientConfig" -}}
{{- $ := .root -}}
service:
  name: {{ include "mcp-sidecar.injector.fullname" $ }}
  namespace: {{ $.Release.Namespace }}
  path: {{ .path }}
  port: {{ $.Values.webhook.service.port }}
{{- if not $.Values.certManager.enabled }}
caBundle: {{ (include "mcp-sidecar.generatedTls" $ | fromJson).ca }}
{{- end }}
{{- end }}
